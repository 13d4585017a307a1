package io.orchestra.core.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Vectors as text (in the database, and in base64 embeddings on the wire): little-endian float32, base64 (portable across SQLite and PostgreSQL). */
public final class Vectors {
    private Vectors() {}

    public static String encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    public static float[] decode(String text) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(vector);
        return vector;
    }
}
