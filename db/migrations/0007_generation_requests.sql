CREATE TABLE "generation_requests" (
	"user_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"version_id" uuid,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "generation_requests_pkey" PRIMARY KEY("user_id","idempotency_key"),
	CONSTRAINT "generation_requests_state_check" CHECK ("generation_requests"."state" in ('pending', 'completed')),
	CONSTRAINT "generation_requests_key_check" CHECK ("generation_requests"."idempotency_key" ~ '^[\x20-\x7e]{1,255}$'),
	CONSTRAINT "generation_requests_completed_check" CHECK (("generation_requests"."state" = 'completed') = ("generation_requests"."response" is not null and "generation_requests"."version_id" is not null))
);
--> statement-breakpoint
CREATE INDEX "generation_requests_updated_at_idx" ON "generation_requests" USING btree ("updated_at");