CREATE TABLE "deletion_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"confirmation_code" text NOT NULL,
	"proof" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "deletion_requests_code_uq" ON "deletion_requests" USING btree ("confirmation_code");