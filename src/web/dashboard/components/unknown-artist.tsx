import { Link } from "wouter";

/** An `/artists/:id` address for an artist the user cannot see (or that does not exist). */
export function UnknownArtist() {
  return (
    <section className="page">
      <h1>Artist not found</h1>
      <p>This artist doesn't exist or you don't have access to it.</p>
      <p>
        <Link href="/">Go to your artists</Link>
      </p>
    </section>
  );
}
