package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** A port's socket as an {@link Outlet}; writability follows the channel's write-buffer water mark. */
final class ChannelOutlet implements Outlet {
    private final Channel channel;

    ChannelOutlet(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void write(ByteBuf frame) {
        channel.write(frame, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        channel.close();
    }
}
