package aim.publicdata;

import java.util.List;

/**
 * The licence and attributions every public answer and download carries: the Open Government Licence
 * v3.0, the ONS/OS statement for the boundaries and the police.uk statement for police data.
 */
public final class OpenDataLicence {
    public static final String LICENCE = "Open Government Licence v3.0";
    public static final String LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
    static final String POLICE = "Contains public sector information licensed under the Open Government Licence v3.0";

    private OpenDataLicence() {
    }

    /** The ONS/OS boundary statement for {@code year} (the year of publication) and the police.uk statement. */
    public static List<String> attributions(int year) {
        return List.of("Contains OS data © Crown copyright and database right " + year
                + "; Source: Office for National Statistics licensed under the Open Government Licence v.3.0", POLICE);
    }

    /** The licence in one line: its name and address. */
    public static String licence() {
        return LICENCE + " (" + LICENCE_URL + ")";
    }
}
