CREATE TABLE "user_processing_choices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"restrict" boolean NOT NULL,
	"object" boolean NOT NULL,
	"session_id" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "actor_pseudonym" text;--> statement-breakpoint
ALTER TABLE "user_processing_choices" ADD CONSTRAINT "user_processing_choices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_processing_choices_user_idx" ON "user_processing_choices" USING btree ("user_id","recorded_at");