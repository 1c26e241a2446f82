package aim.meetings;

import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The briefing's PDF, laid out on the server by openhtmltopdf (PDFBox underneath) from the same XHTML as
 * the page ({@link BriefingHtml}), with the inline SVG map drawn by Batik. Nothing outside the document
 * is fetched (every external resource is refused, SVG scripts are off), so no browser or network is
 * needed. The whole PDF is made in memory before anything is sent: a failure is never half a file.
 */
final class BriefingPdf {
    /** Links in the PDF are resolved against this base (relative map view URLs stay relative to AIM). */
    private static final String BASE = "about:blank";

    private BriefingPdf() {
    }

    /**
     * The page with the few mathematical signs our own text uses spelled in characters the PDF's standard
     * fonts have (WinAnsi): they have no glyph for ≥, ≤ or the minus sign. Other characters outside WinAnsi
     * (in user text) are shown as '#' by the standard fonts.
     */
    static String standardFontText(String xhtml) {
        return xhtml.replace("≥", "&gt;=").replace("≤", "&lt;=").replace("−", "-").replace("×", "x");
    }

    static byte[] render(String xhtml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        try {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.useSVGDrawer(new BatikSVGDrawer(BatikSVGDrawer.SvgScriptMode.SECURE,
                    BatikSVGDrawer.SvgExternalResourceMode.SECURE));
            builder.useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
            builder.useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
            builder.withHtmlContent(standardFontText(xhtml), BASE);
            builder.toStream(out);
            builder.run();
        } catch (IOException e) {
            throw new IllegalStateException("writing the briefing PDF failed", e);
        }
        return out.toByteArray();
    }
}
