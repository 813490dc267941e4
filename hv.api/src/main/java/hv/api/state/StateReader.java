package hv.api.state;

/** Reads the fields of one state section in the order {@link StateWriter} wrote them. */
public interface StateReader {

    boolean getBoolean() throws StateException;

    int getInt() throws StateException;

    long getLong() throws StateException;

    long[] getLongs() throws StateException;

    byte[] getBytes() throws StateException;

    String getString() throws StateException;
}
