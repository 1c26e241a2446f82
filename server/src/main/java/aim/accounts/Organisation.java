package aim.accounts;

import java.util.List;

/**
 * A partner organisation of the AIM group (police, wardens, housing, youth service …): users may belong
 * to one, and actions on problems are given to one. Not the Open Referral organisations of community assets.
 */
public record Organisation(long id, String code, String name, String kind, boolean active) {
    /** The kinds of partner organisation. */
    public static final List<String> KINDS = List.of("police", "wardens", "housing", "youth", "environment",
            "health", "fire", "council", "voluntary", "other");
}
