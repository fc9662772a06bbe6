import { useI18n } from '../i18n/I18n.tsx';

export function ThemeTags({ themes }: { themes: readonly string[] }) {
  const { theme } = useI18n();
  if (themes.length === 0) return null;
  return (
    <ul className="tags">
      {themes.map((code) => (
        <li key={code}>{theme(code)}</li>
      ))}
    </ul>
  );
}
