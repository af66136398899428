package io.eventfeeds.deploy.k8s;

import io.eventfeeds.deploy.realm.RealmImports.Variant;
import java.util.Locale;

/** The kustomize overlays operators apply, and which realm each imports. */
public enum Overlay {
    DEV(Variant.DEMO),
    PROD(Variant.PRODUCTION);

    private final Variant realmVariant;

    Overlay(Variant realmVariant) {
        this.realmVariant = realmVariant;
    }

    public String path() {
        return "k8s/overlays/" + name().toLowerCase(Locale.ROOT);
    }

    public Variant realmVariant() {
        return realmVariant;
    }

    public String realmImportFile() {
        return path() + "/realm-import.yaml";
    }
}
