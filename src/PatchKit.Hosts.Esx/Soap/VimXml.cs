namespace PatchKit.Hosts.Esx.Soap;

internal static class VimXml
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    public const string XsdNamespace = "http://www.w3.org/2001/XMLSchema";
    public const string VimNamespace = "urn:vim25";
}
