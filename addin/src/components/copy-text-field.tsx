import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import { useI18n } from '../platform/i18n/i18n-context';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  input: { flexGrow: 1, minWidth: 0, width: '100%', maxWidth: '560px' },
});

/**
 * A read-only value with a Copy button (e.g. the admin consent link). When the clipboard API is
 * refused (Teams webviews may block it) the text is selected so Ctrl+C still works.
 */
export function CopyTextField({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      ref.current?.focus();
      ref.current?.select();
      setState('select');
    }
  };
  return (
    <Field
      label={label}
      {...(hint ? { hint } : {})}
      validationState={state === 'copied' ? 'success' : 'none'}
      {...(state === 'copied' ? { validationMessage: t('copy.copied') } : state === 'select' ? { validationMessage: t('copy.pressCtrlC') } : {})}
    >
      <div className={styles.row}>
        <Input ref={ref} className={styles.input} value={value} readOnly data-testid={testId} onFocus={(e) => e.target.select()} />
        <Button icon={state === 'copied' ? <CheckmarkRegular /> : <CopyRegular />} onClick={copy}>
          {t('copy.copy')}
        </Button>
      </div>
    </Field>
  );
}
