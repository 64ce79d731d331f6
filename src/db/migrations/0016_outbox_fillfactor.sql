-- Outbox rows are updated once each (pending → delivered / rejected / dropped); free space on
-- every page lets the new row version stay on its page (measured ~2× cheaper updates on
-- PGlite). Not modelled by drizzle: kept as this custom migration.
ALTER TABLE "conversion_outbox" SET (fillfactor = 70);
