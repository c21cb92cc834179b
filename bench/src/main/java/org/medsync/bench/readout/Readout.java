package org.medsync.bench.readout;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.stream.Stream;

/**
 * One running readout: the server's address, the readout's id, the browser for more participants and the
 * pages of the attending who drives and of the residents who follow.
 */
record Readout(
        String http,
        String id,
        Browser browser,
        Browser.NewContextOptions contextOptions,
        Page driver,
        List<Page> followers) {
    List<Page> all() {
        return Stream.concat(Stream.of(driver), followers.stream()).toList();
    }
}
