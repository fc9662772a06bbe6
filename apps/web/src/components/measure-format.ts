import { useI18n } from '../i18n/I18n.tsx';

/** A measure's value as the reader writes numbers: a percentage, or a number with up to two decimals. */
export function useMeasureFormat(valueType: string) {
  const { number } = useI18n();
  return (value: number) =>
    valueType === 'PERCENT'
      ? number(value / 100, { style: 'percent', maximumFractionDigits: 1 })
      : number(value, { maximumFractionDigits: 2 });
}
