-- Down of 0001_cache_and_media: the generation-cache tables and scene_versions.media_asset_id go;
-- every other table and its rows are untouched (the round-trip test checks this).
ALTER TABLE "scene_versions" DROP CONSTRAINT "scene_versions_media_asset_id_media_assets_id_fk";
ALTER TABLE "scene_versions" DROP COLUMN "media_asset_id";
DROP TABLE "component_cache";
DROP TABLE "semantic_cache_entries";
DROP TABLE "media_assets";
