import {
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { DocumentArrowUpRegular } from '@fluentui/react-icons';
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { AdminApi } from '../../platform/api/admin-api';
import type { UploadPreview } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';
import { contentTypeFor, fileSize, previewBytes, previewHead } from './import-files';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    paddingBlock: tokens.spacingVerticalM,
    paddingInline: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  fileRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, overflowWrap: 'anywhere' },
  hiddenInput: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
  muted: { color: tokens.colorNeutralForeground2 },
  tableWrap: { overflowX: 'auto', maxWidth: '100%', border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  // Sized by its content so a wide file scrolls inside its box instead of squeezing columns.
  table: { tableLayout: 'auto', width: 'max-content', minWidth: '100%' },
  cell: { whiteSpace: 'nowrap', maxWidth: '240px', overflow: 'hidden', textOverflow: 'ellipsis' },
  mapping: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: tokens.spacingHorizontalL },
  dropdown: { minWidth: 0, width: '100%' },
});

export interface MappingSlot {
  key: string;
  label: string;
  required: boolean;
  value: string;
}

type PreviewState =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; data: UploadPreview }
  | { status: 'error'; problem: ApiProblem };

/**
 * One file of the import (accounts or contacts): pick it, see its first rows as the service
 * reads them, and map its columns. The preview only sends the head of the file.
 */
export function FileStage({
  admin,
  title,
  hint,
  file,
  onFile,
  slots,
  onSlot,
  onColumns,
  showErrors,
  testId,
}: {
  admin: AdminApi;
  title: string;
  hint: string;
  file: File | null;
  onFile(file: File): void;
  slots: MappingSlot[];
  onSlot(key: string, value: string): void;
  /** Called once per preview with the file's columns, so the caller can guess the mapping. */
  onColumns(columns: string[]): void;
  showErrors: boolean;
  testId: string;
}) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<PreviewState>({ status: 'none' });
  const [attempt, setAttempt] = useState(0);
  const onColumnsRef = useRef(onColumns);
  onColumnsRef.current = onColumns;

  useEffect(() => {
    if (!file) return;
    const controller = new AbortController();
    setPreview({ status: 'loading' });
    (async () => {
      const type = contentTypeFor(file.name);
      const complete = type === 'application/json' || file.size <= previewBytes;
      const head = complete ? file : new Blob([previewHead(await file.slice(0, previewBytes).text(), false)], { type });
      return admin.previewUpload(head, type, controller.signal);
    })().then(
      (data) => {
        if (controller.signal.aborted) return;
        setPreview({ status: 'ready', data });
        onColumnsRef.current(data.columns);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setPreview({ status: 'error', problem: toProblem(error) });
      },
    );
    return () => controller.abort();
  }, [admin, file, attempt]);

  const columns = preview.status === 'ready' ? preview.data.columns : [];
  const fileMissing = showErrors && !file;

  return (
    <section className={styles.root} aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h3 id={`${testId}-title`} className={styles.title}>
        {title}
      </h3>
      <Caption1 className={styles.muted}>{hint}</Caption1>
      <Field
        label={t('import.file')}
        required
        validationState={fileMissing ? 'error' : 'none'}
        {...(fileMissing ? { validationMessage: t('import.fileRequired') } : {})}
      >
        <div className={styles.fileRow}>
          <input
            ref={inputRef}
            id={inputId}
            type="file"
            accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json"
            className={styles.hiddenInput}
            tabIndex={-1}
            aria-hidden
            data-testid={`${testId}-input`}
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              if (chosen) onFile(chosen);
              // Let the same file be chosen again after it was edited on disk.
              e.target.value = '';
            }}
          />
          <Button icon={<DocumentArrowUpRegular />} onClick={() => inputRef.current?.click()}>
            {file ? t('import.changeFile') : t('import.chooseFile')}
          </Button>
          <Body1 aria-live="polite">
            {file ? t('import.fileChosen', { name: file.name, size: fileSize(file.size, format.number) }) : t('import.noFile')}
          </Body1>
        </div>
      </Field>

      {preview.status === 'loading' ? <LoadingState label={t('import.previewLoading')} lines={3} /> : null}
      {preview.status === 'error' ? <ErrorState problem={preview.problem} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {preview.status === 'ready' ? (
        <>
          <Caption1 className={styles.muted}>{t('import.previewCaption', { rows: preview.data.rows.length, columns: preview.data.columns.length })}</Caption1>
          <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={t('import.previewLabel', { title })}>
            <Table size="extra-small" className={styles.table} data-testid={`${testId}-preview`}>
              <TableHeader>
                <TableRow>
                  {preview.data.columns.map((c) => (
                    <TableHeaderCell key={c} className={styles.cell}>
                      {c}
                    </TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.data.rows.map((row, i) => (
                  <TableRow key={i}>
                    {preview.data.columns.map((c) => (
                      <TableCell key={c} className={styles.cell} title={row[c] ?? ''}>
                        {row[c] ?? ''}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className={styles.mapping}>
            {slots.map((slot) => {
              const missing = slot.required && showErrors && slot.value === '';
              return (
                <Field
                  key={slot.key}
                  label={slot.label}
                  required={slot.required}
                  validationState={missing ? 'error' : 'none'}
                  {...(missing ? { validationMessage: t('import.columnRequired') } : {})}
                >
                  <Dropdown
                    className={styles.dropdown}
                    value={slot.value || (slot.required ? '' : t('import.notMapped'))}
                    selectedOptions={[slot.value]}
                    placeholder={t('import.chooseColumn')}
                    expandIcon={{ 'aria-label': t('common.openList') }}
                    onOptionSelect={(_, data) => onSlot(slot.key, data.optionValue ?? '')}
                    data-testid={`${testId}-${slot.key}`}
                  >
                    {slot.required ? null : (
                      <Option value="" text={t('import.notMapped')}>
                        {t('import.notMapped')}
                      </Option>
                    )}
                    {columns.map((c) => (
                      <Option key={c} value={c}>
                        {c}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
              );
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}
