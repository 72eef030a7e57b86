-- local: GitHub responses this replica fetched with its own token, kept so the next fetch can be a
-- conditional request (If-None-Match / If-Modified-Since) that GitHub answers 304 without spending
-- quota (core/integrations/github/http-cache.ts). Never synced and never projected from a doc:
-- every replica fetches GitHub with its own token, so its cache is its own.

-- eviction order: the row used (stored or revalidated) longest ago goes first. A sequence rather
-- than fetched_at, because the wall clock can jump back and eviction must not follow it.
CREATE SEQUENCE github_http_cache_use_order;

CREATE TABLE github_http_cache (
  account        text NOT NULL,             -- whose token fetched it: two accounts never share a row
  method         text NOT NULL,
  url            text NOT NULL,             -- absolute (base URL included), query included
  accept         text NOT NULL,             -- GitHub varies the body by media type (Vary: Accept)
  status         integer NOT NULL,
  etag           text,
  last_modified  text,
  headers        jsonb NOT NULL,            -- what a reader needs again: link (pagination), content-type …
  body           jsonb NOT NULL,
  body_bytes     integer NOT NULL,          -- size bound without measuring jsonb on every write
  fetched_at     timestamptz NOT NULL,      -- last 200 or 304 (display, age); not the eviction order
  use_order      bigint NOT NULL DEFAULT nextval('github_http_cache_use_order'),
  PRIMARY KEY (account, method, url, accept),
  CHECK (etag IS NOT NULL OR last_modified IS NOT NULL)
);
CREATE INDEX github_http_cache_use ON github_http_cache (use_order);
