package hv.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HostConsoleTest {

    @Test
    void theSilentConsoleHasNoInputAndSwallowsOutput() throws IOException {
        HostConsole console = HostConsole.silent();
        assertEquals(-1, console.input().read(), "no keystrokes, ever");
        console.output().write(new byte[]{'h', 'i'}); // must not throw
        console.output().flush();
        console.requestQuit(); // ignored: nothing to quit
        assertEquals(-1, console.input().read());
    }
}
