package io.eventfeeds.deploy.k8s;

import java.util.Locale;

/**
 * The kustomize overlays operators apply. Each imports auth-config's realm (RealmImports): dev as it is, demo accounts
 * included; prod without demo users, demo clients or local origins.
 */
public enum Overlay {
    DEV,
    PROD;

    public String path() {
        return "k8s/overlays/" + name().toLowerCase(Locale.ROOT);
    }

    public String realmImportFile() {
        return path() + "/realm-import.yaml";
    }

    /** The realm it imports, as the generated file's header names it. */
    public String realm() {
        return this == PROD ? "PRODUCTION" : "DEMO";
    }
}
