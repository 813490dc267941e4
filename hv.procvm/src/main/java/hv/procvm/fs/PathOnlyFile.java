package hv.procvm.fs;

import java.io.IOException;
import java.nio.file.Path;

/** An O_PATH descriptor of a non-directory: usable for fstat and as a *at() anchor, nothing else. */
public final class PathOnlyFile extends OpenFile {
    private final Path host;
    private final String guestPath;

    public PathOnlyFile(Path host, String guestPath, int statusFlags) {
        super(statusFlags | O_PATH);
        this.host = host;
        this.guestPath = guestPath;
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public FileStat stat() throws IOException {
        return HostStat.of(host, false);
    }

    @Override
    public long read(java.nio.ByteBuffer dst, Waiter waiter, boolean block) {
        return -Errno.EBADF;
    }

    @Override
    public long write(java.nio.ByteBuffer src, Waiter waiter) {
        return -Errno.EBADF;
    }
}
