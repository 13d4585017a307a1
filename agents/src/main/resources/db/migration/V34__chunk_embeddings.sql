-- Chunk embeddings (little-endian float32, base64) for document search.
ALTER TABLE document_chunks ADD COLUMN embedding TEXT;
