import { Link } from "wouter";
import { usePageTitle } from "../lib/use-page-title";

/** Any dashboard address that matches no page. */
export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>There's nothing at this address in the dashboard.</p>
      <p>
        <Link href="/">Go to your artists</Link>
      </p>
    </section>
  );
}
