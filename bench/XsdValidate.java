import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.File;
/**
 * java bench/XsdValidate.java SCHEMA.xsd FILE.xml...: validates with the JDK's XML Schema validator,
 * prints every error with its line, exit 1 when a file is invalid (bench/board-check.py --schema,
 * bench/ipxact-schema.sh without xmllint).
 */
public class XsdValidate {
    public static void main(String[] a) throws Exception {
        var sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = sf.newSchema(new File(a[0]));
        var v = schema.newValidator();
        final int[] errs = {0};
        v.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            public void error(org.xml.sax.SAXParseException e) { errs[0]++; System.out.println("error line " + e.getLineNumber() + ": " + e.getMessage()); }
            public void fatalError(org.xml.sax.SAXParseException e) { errs[0]++; System.out.println("fatal line " + e.getLineNumber() + ": " + e.getMessage()); }
        });
        for (int i = 1; i < a.length; i++) v.validate(new StreamSource(new File(a[i])));
        System.out.println(errs[0] == 0 ? "valid" : errs[0] + " errors");
        System.exit(errs[0] == 0 ? 0 : 1);
    }
}
