CREATE TABLE "conversion_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"outbox_id" text NOT NULL,
	"destination_id" text NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"response_excerpt" text,
	"duration_ms" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_destinations" (
	"id" text PRIMARY KEY NOT NULL,
	"artist_id" text NOT NULL,
	"platform" text NOT NULL,
	"account_id" text NOT NULL,
	"conversion_action_id" text,
	"access_token_sealed" text NOT NULL,
	"test_code" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_event_mappings" (
	"id" text PRIMARY KEY NOT NULL,
	"artist_id" text NOT NULL,
	"platform" text NOT NULL,
	"event_type" text NOT NULL,
	"event_name" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"value_minor" integer,
	"currency" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"destination_id" text NOT NULL,
	"artist_id" text NOT NULL,
	"platform" text NOT NULL,
	"play_user_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"reason" text,
	"deduplicated" boolean DEFAULT false NOT NULL,
	"match_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversion_attempts" ADD CONSTRAINT "conversion_attempts_outbox_id_conversion_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."conversion_outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_destinations" ADD CONSTRAINT "conversion_destinations_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_event_mappings" ADD CONSTRAINT "conversion_event_mappings_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_outbox" ADD CONSTRAINT "conversion_outbox_event_id_engagement_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."engagement_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_outbox" ADD CONSTRAINT "conversion_outbox_destination_id_conversion_destinations_id_fk" FOREIGN KEY ("destination_id") REFERENCES "public"."conversion_destinations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_outbox" ADD CONSTRAINT "conversion_outbox_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversion_attempts_outbox_idx" ON "conversion_attempts" USING btree ("outbox_id");--> statement-breakpoint
CREATE INDEX "conversion_attempts_destination_idx" ON "conversion_attempts" USING btree ("destination_id","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_destinations_artist_platform_uq" ON "conversion_destinations" USING btree ("artist_id","platform");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_event_mappings_uq" ON "conversion_event_mappings" USING btree ("artist_id","platform","event_type");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_outbox_event_destination_uq" ON "conversion_outbox" USING btree ("event_id","destination_id");--> statement-breakpoint
CREATE INDEX "conversion_outbox_due_idx" ON "conversion_outbox" USING btree ("destination_id","next_attempt_at") WHERE "conversion_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "conversion_outbox_user_idx" ON "conversion_outbox" USING btree ("play_user_id") WHERE "conversion_outbox"."play_user_id" is not null;