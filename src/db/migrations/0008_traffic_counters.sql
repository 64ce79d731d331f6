CREATE TABLE "traffic_counters" (
	"day" date NOT NULL,
	"artist_id" text NOT NULL,
	"smart_link_id" text DEFAULT '' NOT NULL,
	"reason" text NOT NULL,
	"requests" bigint NOT NULL,
	CONSTRAINT "traffic_counters_day_artist_id_smart_link_id_reason_pk" PRIMARY KEY("day","artist_id","smart_link_id","reason")
);
