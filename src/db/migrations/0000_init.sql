CREATE TABLE "artists" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"spotify_artist_id" text,
	"image_url" text,
	"genres" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hub_theme" text DEFAULT 'classic' NOT NULL,
	"hub_description" text,
	"hub_published" boolean DEFAULT true NOT NULL,
	"catalog_imported_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"id" text PRIMARY KEY NOT NULL,
	"state_hash" text NOT NULL,
	"provider" text NOT NULL,
	"browser_hash" text NOT NULL,
	"code_verifier_sealed" text NOT NULL,
	"intent" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "play_users" (
	"id" text PRIMARY KEY NOT NULL,
	"spotify_user_id" text NOT NULL,
	"display_name" text,
	"country" text,
	"product" text,
	"access_token_sealed" text NOT NULL,
	"refresh_token_sealed" text NOT NULL,
	"access_token_expires_at" timestamp with time zone NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"scopes" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "presaves" (
	"id" text PRIMARY KEY NOT NULL,
	"smart_link_id" text NOT NULL,
	"play_user_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "smart_links" (
	"id" text PRIMARY KEY NOT NULL,
	"artist_id" text NOT NULL,
	"slug" text NOT NULL,
	"spotify_album_id" text NOT NULL,
	"release_type" text NOT NULL,
	"title" text NOT NULL,
	"release_artists" jsonb NOT NULL,
	"artwork_url" text,
	"release_date" date,
	"release_date_precision" text,
	"upc" text,
	"isrc" text,
	"track_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"theme" text DEFAULT 'classic' NOT NULL,
	"pixels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagement_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"artist_id" text NOT NULL,
	"smart_link_id" text,
	"play_user_id" text,
	"visitor_hash" text,
	"context" jsonb NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "presaves" ADD CONSTRAINT "presaves_smart_link_id_smart_links_id_fk" FOREIGN KEY ("smart_link_id") REFERENCES "public"."smart_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presaves" ADD CONSTRAINT "presaves_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "smart_links" ADD CONSTRAINT "smart_links_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "artists_slug_uq" ON "artists" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "artists_spotify_artist_id_uq" ON "artists" USING btree ("spotify_artist_id");--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_states_state_hash_uq" ON "oauth_states" USING btree ("state_hash");--> statement-breakpoint
CREATE INDEX "oauth_states_expires_idx" ON "oauth_states" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "play_users_spotify_user_id_uq" ON "play_users" USING btree ("spotify_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "presaves_link_user_uq" ON "presaves" USING btree ("smart_link_id","play_user_id");--> statement-breakpoint
CREATE INDEX "presaves_status_idx" ON "presaves" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "smart_links_artist_slug_uq" ON "smart_links" USING btree ("artist_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "smart_links_artist_album_uq" ON "smart_links" USING btree ("artist_id","spotify_album_id");--> statement-breakpoint
CREATE INDEX "engagement_events_link_time_idx" ON "engagement_events" USING btree ("smart_link_id","occurred_at");--> statement-breakpoint
CREATE INDEX "engagement_events_artist_time_idx" ON "engagement_events" USING btree ("artist_id","occurred_at");--> statement-breakpoint
CREATE INDEX "engagement_events_user_idx" ON "engagement_events" USING btree ("play_user_id");