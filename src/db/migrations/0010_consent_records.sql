CREATE TABLE "consent_records" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"play_user_id" text,
	"scope" text NOT NULL,
	"granted" boolean NOT NULL,
	"policy_version" text NOT NULL,
	"mode" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_play_user_id_play_users_id_fk" FOREIGN KEY ("play_user_id") REFERENCES "public"."play_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_records_subject_idx" ON "consent_records" USING btree ("subject","scope","recorded_at");--> statement-breakpoint
CREATE INDEX "consent_records_user_idx" ON "consent_records" USING btree ("play_user_id","scope","recorded_at");