import { useEffect } from "react";

/** Sets the document title to "`title` · Backbeat" while the page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Backbeat`;
  }, [title]);
}
