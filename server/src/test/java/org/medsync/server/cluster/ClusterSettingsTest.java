package org.medsync.server.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medsync.server.config.ServerConfig;

class ClusterSettingsTest {
    @Test
    void withoutRedis_theServerIsOneNode() throws Exception {
        ClusterSettings c = ServerConfig.load(null, Map.of()).cluster();
        assertFalse(c.enabled());
        assertEquals(Duration.ofSeconds(6), c.nodeTtl());
        assertTrue(c.nodeName().matches("[A-Za-z0-9._-]{1,40}"), c.nodeName());
    }

    @Test
    void environment_setsTheRedisUrlAndNode() throws Exception {
        ClusterSettings c = ServerConfig.load(
                        null,
                        Map.of(
                                "MEDSYNC_CLUSTER_REDIS_URL",
                                "redis://redis.internal:6379",
                                "MEDSYNC_CLUSTER_NODE_NAME",
                                "medsync-1",
                                "MEDSYNC_CLUSTER_NODE_TTL_SECONDS",
                                "9"))
                .cluster();
        assertTrue(c.enabled());
        assertEquals(URI.create("redis://redis.internal:6379"), c.redisUrl());
        assertEquals("medsync-1", c.nodeName());
        assertEquals(Duration.ofSeconds(9), c.nodeTtl());
    }

    @Test
    void nonsense_isRefusedWithTheKeyNamed() {
        for (var bad : Map.of(
                        "MEDSYNC_CLUSTER_REDIS_URL",
                        "http://redis:6379",
                        "MEDSYNC_CLUSTER_NODE_NAME",
                        "a b",
                        "MEDSYNC_CLUSTER_NODE_TTL_SECONDS",
                        "1")
                .entrySet()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ServerConfig.load(null, Map.of(bad.getKey(), bad.getValue())));
            String key = bad.getKey().substring("MEDSYNC_".length()).toLowerCase(java.util.Locale.ROOT);
            assertTrue(e.getMessage().replace('.', '_').replace('-', '_').contains(key), e.getMessage());
        }
    }
}
