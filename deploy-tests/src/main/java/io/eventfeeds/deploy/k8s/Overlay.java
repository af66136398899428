package io.eventfeeds.deploy.k8s;

import io.eventfeeds.deploy.realm.RealmImports.Variant;

/** The kustomize overlays operators apply, and which realm each imports. */
public enum Overlay {
    DEV("k8s/overlays/dev", Variant.DEMO),
    PROD("k8s/overlays/prod", Variant.PRODUCTION);

    private final String path;
    private final Variant realmVariant;

    Overlay(String path, Variant realmVariant) {
        this.path = path;
        this.realmVariant = realmVariant;
    }

    public String path() {
        return path;
    }

    public Variant realmVariant() {
        return realmVariant;
    }

    public String realmImportFile() {
        return path + "/realm-import.yaml";
    }
}
