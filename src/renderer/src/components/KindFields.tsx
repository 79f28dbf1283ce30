// The fields of one backend kind's form ("Add a site", "Sign in again"), drawn from the kind's
// description in src/shared/kinds: a new kind needs no new form component.
import { useTranslation } from 'react-i18next';
import type { KindField } from '../../../shared/kinds';

interface Props {
  fields: KindField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  autoFocus?: boolean;
}

export function KindFields({ fields, values, onChange, autoFocus }: Props) {
  const { t } = useTranslation();
  const basic = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);
  const field = (f: KindField, index: number) => (
    <label key={f.name}>
      {t(f.label)}
      {f.input === 'textarea' ? (
        <textarea value={values[f.name] ?? ''} onChange={(e) => onChange(f.name, e.target.value)} required={f.required} rows={3} autoFocus={autoFocus && index === 0} />
      ) : (
        <input
          type={f.input}
          inputMode={f.input === 'url' ? 'url' : undefined}
          autoComplete={f.autoComplete ?? 'off'}
          placeholder={f.placeholder}
          value={values[f.name] ?? ''}
          onChange={(e) => onChange(f.name, e.target.value)}
          autoFocus={autoFocus && index === 0}
        />
      )}
      {f.help && <span className="muted small field-help">{t(f.help)}</span>}
    </label>
  );
  return (
    <>
      {basic.map(field)}
      {advanced.length > 0 && (
        <details className="advanced-fields">
          <summary>{t('kinds.advanced')}</summary>
          {advanced.map((f, i) => field(f, basic.length + i))}
        </details>
      )}
    </>
  );
}

/** The filled-in values as the input of accounts.connect / accounts.signIn: empty fields left out. */
export function kindInput(kind: string, fields: KindField[], values: Record<string, string>): Record<string, string> {
  const input: Record<string, string> = { kind };
  for (const f of fields) {
    const value = f.input === 'password' ? (values[f.name] ?? '') : (values[f.name] ?? '').trim();
    if (value !== '') input[f.name] = value;
  }
  return input;
}

/** The required fields left empty. */
export const missingFields = (fields: KindField[], values: Record<string, string>): KindField[] => fields.filter((f) => f.required && !(values[f.name] ?? '').trim());
