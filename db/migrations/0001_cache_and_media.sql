CREATE TABLE "media_assets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"ref_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_assets_sha256_unique" UNIQUE("sha256"),
	CONSTRAINT "media_assets_sha256_check" CHECK ("media_assets"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "media_assets_byte_size_check" CHECK ("media_assets"."byte_size" >= 0),
	CONSTRAINT "media_assets_ref_count_check" CHECK ("media_assets"."ref_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "semantic_cache_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"brain_id" uuid,
	"embedder_id" text NOT NULL,
	"embedder_version" text NOT NULL,
	"model_version" text NOT NULL,
	"prompt" text NOT NULL,
	"normalized_prompt" text NOT NULL,
	"salient_tokens" text[] DEFAULT '{}'::text[] NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding" vector(1536) NOT NULL,
	"result" jsonb NOT NULL,
	"source_request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"hit_count" integer DEFAULT 0 NOT NULL,
	"last_hit_at" timestamp with time zone,
	CONSTRAINT "semantic_cache_entries_hit_count_check" CHECK ("semantic_cache_entries"."hit_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "component_cache" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"kind" text NOT NULL,
	"descriptor_key" text NOT NULL,
	"descriptor" jsonb NOT NULL,
	"media_asset_id" uuid NOT NULL,
	"use_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "component_cache_descriptor_unique" UNIQUE NULLS NOT DISTINCT("tenant_id","kind","descriptor_key"),
	CONSTRAINT "component_cache_kind_check" CHECK ("component_cache"."kind" in ('character', 'background', 'prop')),
	CONSTRAINT "component_cache_use_count_check" CHECK ("component_cache"."use_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "scene_versions" ADD COLUMN "media_asset_id" uuid;--> statement-breakpoint
ALTER TABLE "component_cache" ADD CONSTRAINT "component_cache_media_asset_id_media_assets_id_fk" FOREIGN KEY ("media_asset_id") REFERENCES "public"."media_assets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "semantic_cache_entries_embedding_hnsw_idx" ON "semantic_cache_entries" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "semantic_cache_entries_scope_idx" ON "semantic_cache_entries" USING btree ("tenant_id","provider","expires_at");--> statement-breakpoint
ALTER TABLE "scene_versions" ADD CONSTRAINT "scene_versions_media_asset_id_media_assets_id_fk" FOREIGN KEY ("media_asset_id") REFERENCES "public"."media_assets"("id") ON DELETE set null ON UPDATE no action;