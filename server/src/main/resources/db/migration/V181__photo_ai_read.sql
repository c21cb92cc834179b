-- The AI read of a restored photo (issue 15 item 6, docs/photo-intake.md "AI read"): decision support, never a
-- diagnosis. {label, score, finding, model, region {x, y, size}, ms} or {label, error}; numbers about pixels only.
alter table photo add column ai_read jsonb;
