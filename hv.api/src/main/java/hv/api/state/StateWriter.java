package hv.api.state;

/** Writes the fields of one state section in order. Implementations buffer; errors surface at the end. */
public interface StateWriter {

    void putBoolean(boolean v);

    void putInt(int v);

    void putLong(long v);

    void putLongs(long[] v);

    void putBytes(byte[] v);

    void putString(String v);
}
