const KEY = "backbeat.lastArtistId";

/** The artist the user last opened in this browser (for landing on `/app`). */
export const lastArtist = {
  get(): string | null {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(id: string): void {
    try {
      localStorage.setItem(KEY, id);
    } catch {
      // Private mode or storage disabled: landing on the first artist is fine.
    }
  },
};
