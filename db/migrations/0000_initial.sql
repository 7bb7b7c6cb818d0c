-- Hand-added: pgvector must exist before any vector column (drizzle-kit does not emit extensions).
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"avatar_url" text,
	"subscription_tier" text DEFAULT 'free' NOT NULL,
	"credits_balance" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_subscription_tier_check" CHECK ("users"."subscription_tier" in ('free', 'pro', 'studio')),
	CONSTRAINT "users_credits_balance_check" CHECK ("users"."credits_balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "format_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"creator_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"beats" jsonb NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "brains" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"style_vector" vector(128),
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"price_credits" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "brains_price_credits_check" CHECK ("brains"."price_credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"format_template_id" uuid,
	"brain_id" uuid,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "projects_status_check" CHECK ("projects"."status" in ('draft', 'active', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "scenes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"position" text COLLATE "C" NOT NULL,
	"sequence_number" integer,
	"title" text DEFAULT '' NOT NULL,
	"prompt" text DEFAULT '' NOT NULL,
	"parameters" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"duration_seconds" real,
	"current_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "scenes_status_check" CHECK ("scenes"."status" in ('draft', 'generating', 'ready', 'failed')),
	CONSTRAINT "scenes_position_check" CHECK ("scenes"."position" <> ''),
	CONSTRAINT "scenes_duration_seconds_check" CHECK ("scenes"."duration_seconds" is null or "scenes"."duration_seconds" > 0)
);
--> statement-breakpoint
CREATE TABLE "characters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"appearance" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"face_embedding" vector(512),
	"reference_image_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scene_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"scene_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"prompt" text DEFAULT '' NOT NULL,
	"parameters" jsonb,
	"video_url" text,
	"thumbnail_url" text,
	"cache_layer" text,
	"cost_usd" numeric(10, 4),
	"generation_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"field_clocks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "scene_versions_cache_layer_check" CHECK ("scene_versions"."cache_layer" in ('L1', 'L2', 'L3', 'L4', 'miss')),
	CONSTRAINT "scene_versions_cost_usd_check" CHECK ("scene_versions"."cost_usd" >= 0),
	CONSTRAINT "scene_versions_generation_ms_check" CHECK ("scene_versions"."generation_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "credit_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" uuid NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"reference_id" uuid,
	"balance_after" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_ledger_delta_check" CHECK ("credit_ledger"."delta" <> 0),
	CONSTRAINT "credit_ledger_balance_after_check" CHECK ("credit_ledger"."balance_after" >= 0),
	CONSTRAINT "credit_ledger_reason_check" CHECK ("credit_ledger"."reason" in ('grant', 'purchase', 'generation', 'refund', 'adjustment'))
);
--> statement-breakpoint
CREATE TABLE "tombstones" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"hlc" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_by" uuid,
	CONSTRAINT "tombstones_pkey" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "processed_mutations" (
	"mutation_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"txid" bigint NOT NULL,
	"result" jsonb NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "format_templates" ADD CONSTRAINT "format_templates_creator_id_users_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brains" ADD CONSTRAINT "brains_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_format_template_id_format_templates_id_fk" FOREIGN KEY ("format_template_id") REFERENCES "public"."format_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_brain_id_brains_id_fk" FOREIGN KEY ("brain_id") REFERENCES "public"."brains"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenes" ADD CONSTRAINT "scenes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "characters" ADD CONSTRAINT "characters_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scene_versions" ADD CONSTRAINT "scene_versions_scene_id_scenes_id_fk" FOREIGN KEY ("scene_id") REFERENCES "public"."scenes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scene_versions" ADD CONSTRAINT "scene_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "format_templates_creator_id_idx" ON "format_templates" USING btree ("creator_id");--> statement-breakpoint
CREATE INDEX "brains_user_id_idx" ON "brains" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "brains_style_vector_hnsw_idx" ON "brains" USING hnsw ("style_vector" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "projects_user_id_idx" ON "projects" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "scenes_project_position_idx" ON "scenes" USING btree ("project_id","position","id");--> statement-breakpoint
CREATE INDEX "characters_project_id_idx" ON "characters" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "characters_face_embedding_hnsw_idx" ON "characters" USING hnsw ("face_embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "scene_versions_scene_id_idx" ON "scene_versions" USING btree ("scene_id","version_number");--> statement-breakpoint
CREATE INDEX "scene_versions_project_id_idx" ON "scene_versions" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "credit_ledger_user_id_idx" ON "credit_ledger" USING btree ("user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "processed_mutations_applied_at_idx" ON "processed_mutations" USING btree ("applied_at");--> statement-breakpoint
-- Hand-added: credit_ledger is append-only (drizzle-kit cannot express triggers). A DELETE is allowed
-- only when the owning user is already gone, i.e. the ON DELETE CASCADE from users; every UPDATE and
-- every other DELETE raises SQLSTATE 55000 (object_not_in_prerequisite_state).
CREATE FUNCTION "credit_ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "users" WHERE "id" = OLD."user_id") THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'credit_ledger is append-only: % refused', TG_OP USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "credit_ledger_append_only" BEFORE UPDATE OR DELETE ON "credit_ledger" FOR EACH ROW EXECUTE FUNCTION "credit_ledger_append_only"();
