package dev.flotilla.bundle;

/** What a device expects of its next bundle: its fleet, its name, its identity, a version above the last. */
public record Expectation(String fleet, String device, String identityHash, long lastAcceptedVersion) {}
