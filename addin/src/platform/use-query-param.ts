import { useNavigation } from './navigation/navigation';

/**
 * A query parameter of the current URL (e.g. `enrichmentId`). Re-read on every in-app
 * navigation, which is how pages pass ids to each other and how Teams deep links arrive.
 */
export function useQueryParam(name: string): string | null {
  // The focus token changes on every navigation, so this re-renders with the new URL.
  useNavigation();
  const value = new URLSearchParams(window.location.search).get(name);
  return value && value.trim() ? value.trim() : null;
}
