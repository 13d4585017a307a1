package io.orchestra.agents.knowledge;

import io.orchestra.core.jobs.PermanentJobFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/** Plain text out of PDF, DOCX, HTML, Markdown and text files (Apache Tika, type detected from content). */
public final class TextExtractor {
    /** Text beyond this many characters is cut (a 2,000-page book is about 5 million). */
    static final int MAX_CHARS = 10_000_000;

    /** Built on the first document: Tika's parser registry loads hundreds of classes, a quarter second off startup. */
    private volatile AutoDetectParser parser;

    private AutoDetectParser parser() {
        AutoDetectParser loaded = parser;
        if (loaded == null) {
            synchronized (this) {
                if (parser == null) {
                    parser = new AutoDetectParser();
                }
                loaded = parser;
            }
        }
        return loaded;
    }

    public record Extracted(String text, String mediaType, boolean truncated) {}

    public Extracted extract(Path file, String filename) throws IOException, PermanentJobFailure {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        BodyContentHandler handler = new BodyContentHandler(MAX_CHARS);
        boolean truncated = false;
        try (InputStream in = Files.newInputStream(file)) {
            parser().parse(in, handler, metadata, new ParseContext());
        } catch (SAXException e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                throw new PermanentJobFailure("cannot read the document: " + e.getMessage());
            }
            truncated = true;
        } catch (TikaException e) {
            throw new PermanentJobFailure(
                    "cannot read the document as " + metadata.get(Metadata.CONTENT_TYPE) + ": " + rootMessage(e));
        }
        String text = handler.toString().replace("\u0000", "").strip();
        String type = metadata.get(Metadata.CONTENT_TYPE);
        if (text.isEmpty()) {
            throw new PermanentJobFailure("no text found in the document (" + type + "); scanned PDFs need OCR first");
        }
        return new Extracted(text, type, truncated);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
