ALTER TABLE "traffic_counters" ADD COLUMN "kind" text DEFAULT 'visit' NOT NULL;--> statement-breakpoint
ALTER TABLE "traffic_counters" DROP CONSTRAINT "traffic_counters_day_artist_id_smart_link_id_reason_pk";--> statement-breakpoint
ALTER TABLE "traffic_counters" ADD CONSTRAINT "traffic_counters_day_artist_id_smart_link_id_kind_reason_pk" PRIMARY KEY("day","artist_id","smart_link_id","kind","reason");
