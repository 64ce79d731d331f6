import { useQuery } from "@tanstack/react-query";
import { requestApi } from "../lib/request-api";
import type { ThemeOption } from "../lib/types";
import { ErrorMessage } from "./error-message";
import { Loading } from "./loading";

/** The themes of `GET /api/v1/themes` as a radio group; shared by smart links and the artist hub. */
export function ThemePicker({ value, onChange, legend = "Theme" }: { value: string; onChange: (theme: string) => void; legend?: string }) {
  const themes = useQuery({ queryKey: ["themes"], queryFn: async () => (await requestApi<{ data: ThemeOption[] }>("/api/v1/themes")).data.data, staleTime: Infinity });
  return (
    <fieldset className="themes">
      <legend>{legend}</legend>
      {themes.isPending ? <Loading label="Loading themes…" /> : null}
      {themes.isError ? <ErrorMessage error={themes.error} onRetry={() => void themes.refetch()} title="Could not load the themes" /> : null}
      {themes.data?.length === 0 ? <p className="muted">No themes are available.</p> : null}
      <div className="theme-options">
        {themes.data?.map((t) => (
          <label key={t.id} className={`theme-option${t.id === value ? " theme-option-selected" : ""}`}>
            <input type="radio" name={legend} value={t.id} checked={t.id === value} onChange={() => onChange(t.id)} />
            <span className={`swatch swatch-${t.id}`} aria-hidden="true" />
            {t.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
