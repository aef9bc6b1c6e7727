package io.voiceagent.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;

/**
 * A checked {@code POST .../projects/{appid}/join} body: the agent's unique {@code name} and its
 * {@link AgentSpec}. {@link #propertiesJson()} is the properties as they will be run again after a
 * failover (with the uid the server picked for {@code "0"}), so a restarted agent joins as the same
 * user. It contains the token and API keys: it is stored (in Redis, in cluster mode) but never logged;
 * {@link #toString()} leaves it out.
 */
public final class JoinRequest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final AgentSpec spec;
    private final String propertiesJson;

    private JoinRequest(String name, AgentSpec spec, String propertiesJson) {
        this.name = name;
        this.spec = spec;
        this.propertiesJson = propertiesJson;
    }

    /**
     * Parses a join request body.
     *
     * @throws ApiException 400 naming the first bad field ({@code name}, {@code properties.channel}, ...)
     */
    public static JoinRequest parse(String body) {
        JsonFields root = JsonFields.parseBody(body);
        String name = root.requireString("name");
        if (name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name", "must be 1..128 characters without control characters; got '"
                    + (name.length() > 128 ? name.substring(0, 128) + "..." : name.replaceAll("\\p{Cntrl}", "?")) + "'");
        }
        JsonFields props = root.requireObject("properties");
        ObjectNode normalized = ((ObjectNode) props.node()).deepCopy();
        JsonNode uid = normalized.get("agent_rtc_uid");
        if (uid != null && uid.asText().equals("0") && (uid.isTextual() || uid.isIntegralNumber())) {
            normalized.put("agent_rtc_uid", Long.toString(1 + (RANDOM.nextLong() >>> 1) % 0xFFFF_FFFEL));
        }
        AgentSpec spec = AgentSpec.parse(JsonFields.of(normalized, "properties"));
        return new JoinRequest(name, spec, normalized.toString());
    }

    /**
     * Re-reads a stored request (a worker taking the job).
     *
     * @throws ApiException if the stored properties no longer parse (a server of another version wrote them)
     */
    public static JoinRequest restore(String name, String propertiesJson) {
        JsonFields props;
        try {
            props = JsonFields.of(JsonFields.JSON.readTree(propertiesJson), "properties");
        } catch (Exception e) {
            throw ApiException.badRequest("properties", "stored properties are not JSON");
        }
        return new JoinRequest(name, AgentSpec.parse(props), propertiesJson);
    }

    public String name() {
        return name;
    }

    public AgentSpec spec() {
        return spec;
    }

    /** The properties to store with the agent (token and keys included): never log this. */
    public String propertiesJson() {
        return propertiesJson;
    }

    @Override
    public String toString() {
        return "JoinRequest[name=" + name + ", " + spec + "]";
    }
}
