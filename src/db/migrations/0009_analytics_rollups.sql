CREATE TABLE "analytics_daily" (
	"artist_id" text NOT NULL,
	"day" date NOT NULL,
	"smart_link_id" text NOT NULL,
	"type" text NOT NULL,
	"events" integer NOT NULL,
	"flagged" integer NOT NULL,
	"uniques" integer NOT NULL,
	"fans" integer NOT NULL,
	CONSTRAINT "analytics_daily_artist_id_day_smart_link_id_type_pk" PRIMARY KEY("artist_id","day","smart_link_id","type")
);
--> statement-breakpoint
CREATE TABLE "analytics_daily_breakdowns" (
	"artist_id" text NOT NULL,
	"dimension" text NOT NULL,
	"day" date NOT NULL,
	"smart_link_id" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"events" integer NOT NULL,
	"uniques" integer NOT NULL,
	"fans" integer NOT NULL,
	CONSTRAINT "analytics_daily_breakdowns_artist_id_dimension_day_smart_link_id_type_value_pk" PRIMARY KEY("artist_id","dimension","day","smart_link_id","type","value")
);
--> statement-breakpoint
CREATE TABLE "analytics_dirty_days" (
	"artist_id" text NOT NULL,
	"day" date NOT NULL,
	"marked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analytics_dirty_days_artist_id_day_pk" PRIMARY KEY("artist_id","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_flag_states" (
	"flag_id" text PRIMARY KEY NOT NULL,
	"active" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_watermarks" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "artist_event_values" (
	"artist_id" text NOT NULL,
	"event_type" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "artist_event_values_artist_id_event_type_pk" PRIMARY KEY("artist_id","event_type")
);
--> statement-breakpoint
CREATE TABLE "artist_spend" (
	"id" text PRIMARY KEY NOT NULL,
	"artist_id" text NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"utm_campaign" text NOT NULL,
	"smart_link_id" text,
	"day_from" date NOT NULL,
	"day_to" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "engagement_events" ADD COLUMN "written_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "artist_event_values" ADD CONSTRAINT "artist_event_values_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artist_spend" ADD CONSTRAINT "artist_spend_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artist_spend" ADD CONSTRAINT "artist_spend_smart_link_id_smart_links_id_fk" FOREIGN KEY ("smart_link_id") REFERENCES "public"."smart_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artist_spend_artist_idx" ON "artist_spend" USING btree ("artist_id","day_from");--> statement-breakpoint
CREATE INDEX "engagement_events_written_xid_idx" ON "engagement_events" USING btree ("written_xid");