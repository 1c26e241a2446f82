package aim.assets;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /api/assets} and {@code PUT /api/assets/{id}}: one asset, with its geometry as
 * RFC 7946 GeoJSON in WGS84. The service members follow Open Referral UK (organisation, address,
 * contacts, regular schedules, eligibility, cost options, languages, service area). The read-only members
 * of a feature's properties (id, uid, stale…) are accepted and ignored, so a client can send back what it
 * read; any other unknown member is an invalid-value failure naming it.
 *
 * @param kind         place, service or people
 * @param category     a category code (GET /api/assets/categories)
 * @param geometry     Point, Polygon or MultiPolygon (a service: Point only, the place it is delivered);
 *                     required for places
 * @param lastChecked  when the record was last confirmed (default today)
 * @param venue        where a service is delivered (the Open Referral location name)
 * @param fees         cost in words; structured prices go in {@code cost_options}
 * @param referral     how to get the service (self-referral, drop in, GP referral…)
 * @param serviceArea  the area a service serves: ward codes of the current ward set and/or a polygon
 */
@JsonIgnoreProperties(value = {"id", "uid", "category_label", "stale", "demo", "source", "created_at", "updated_at",
        "retired_at", "distance_m", "ward", "ward_name"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssetInput(
        String kind,
        String category,
        String name,
        String description,
        JsonNode geometry,
        @JsonProperty("last_checked") LocalDate lastChecked,
        Organisation organisation,
        Address address,
        String venue,
        String url,
        String email,
        String phone,
        String status,
        String fees,
        String referral,
        @JsonProperty("attending_type") String attendingType,
        @JsonProperty("attending_access") String attendingAccess,
        @JsonProperty("deliverable_type") String deliverableType,
        List<Contact> contacts,
        List<Schedule> schedules,
        List<Eligibility> eligibility,
        @JsonProperty("cost_options") List<CostOption> costOptions,
        List<String> languages,
        @JsonProperty("service_area") ServiceArea serviceArea) {

    /** An organisation, matched by {@code id} (its uid) when given, else by name (case-insensitive), else created. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Organisation(UUID id, String name, String description, String email, String url, String logo, String uri) {
    }

    /** A UK postal address (Open Referral physical_address). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Address(@JsonProperty("address_1") String address1, String city,
                          @JsonProperty("state_province") String stateProvince,
                          @JsonProperty("postal_code") String postalCode, String country) {
    }

    /** A contact: a role or person, with phone numbers. For people assets this is personal data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contact(String name, String title, String email, List<String> phones) {
    }

    /**
     * An opening time in the Open Referral regular_schedule form: {@code byday} (iCal days, e.g. "MO,WE"),
     * {@code opens_at}/{@code closes_at} ("16:00"), {@code freq} (WEEKLY, MONTHLY…) with {@code interval}
     * and {@code bymonthday}, validity dates and a description in words.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Schedule(String description, String byday, @JsonProperty("opens_at") String opensAt,
                           @JsonProperty("closes_at") String closesAt, String freq, Integer interval, String bymonthday,
                           @JsonProperty("valid_from") LocalDate validFrom, @JsonProperty("valid_to") LocalDate validTo,
                           LocalDate dtstart) {
    }

    /** Who may use a service: a criterion in words (e.g. "Middlesbrough residents") and/or an age range in years. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Eligibility(String eligibility, @JsonProperty("minimum_age") Integer minimumAge,
                              @JsonProperty("maximum_age") Integer maximumAge) {
    }

    /** A price (GBP) for an option of a service. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostOption(String option, BigDecimal amount, @JsonProperty("amount_description") String amountDescription,
                             @JsonProperty("valid_from") LocalDate validFrom, @JsonProperty("valid_to") LocalDate validTo) {
    }

    /** Wards (codes of the current ward set) and/or a polygon (GeoJSON, WGS84), with a name for the polygon or area. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceArea(List<String> wards, String name, JsonNode geometry) {
    }

    public List<Contact> contactsOrEmpty() {
        return contacts == null ? List.of() : contacts;
    }

    public List<Schedule> schedulesOrEmpty() {
        return schedules == null ? List.of() : schedules;
    }

    public List<Eligibility> eligibilityOrEmpty() {
        return eligibility == null ? List.of() : eligibility;
    }

    public List<CostOption> costOptionsOrEmpty() {
        return costOptions == null ? List.of() : costOptions;
    }

    public List<String> languagesOrEmpty() {
        return languages == null ? List.of() : languages;
    }
}
