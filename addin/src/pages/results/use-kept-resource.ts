import { useEffect, useRef } from 'react';
import type { Resource } from '../../platform/use-api-resource';

/**
 * The last successfully loaded value of a resource, so a grid keeps showing the previous page
 * (marked busy) while the next one loads instead of collapsing to a skeleton on every click.
 */
export function useKeptData<T>(resource: Resource<T>): T | undefined {
  const kept = useRef<T | undefined>(undefined);
  useEffect(() => {
    if (resource.status === 'ready') kept.current = resource.data;
  }, [resource]);
  return resource.status === 'ready' ? resource.data : kept.current;
}
