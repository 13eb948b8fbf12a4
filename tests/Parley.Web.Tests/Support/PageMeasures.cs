namespace Parley.Web.Tests.Support;

/// <summary>Page scripts that measure what a person sees: contrast ratios (WCAG 2) and overlaps.</summary>
public static class PageMeasures
{
    /// <summary>
    /// Defines, in the page, <c>window.__contrast(elementText, elementBackground)</c>: the WCAG contrast ratio of the
    /// first element's text colour on the second's background colour (composited on white when translucent).
    /// </summary>
    public const string DefineContrast = """
        () => {
          const parse = (s) => { const m = s.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
          const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const over = (top, base) => ({ r: top.r * top.a + base.r * (1 - top.a), g: top.g * top.a + base.g * (1 - top.a), b: top.b * top.a + base.b * (1 - top.a), a: 1 });
          window.__luminance = (s) => lum(over(parse(s), { r: 255, g: 255, b: 255, a: 1 }));
          window.__ratio = (fg, bg) => {
            const b = over(parse(bg), { r: 255, g: 255, b: 255, a: 1 });
            const [l1, l2] = [lum(over(parse(fg), b)), lum(b)].sort((x, y) => y - x);
            return (l1 + 0.05) / (l2 + 0.05);
          };
          window.__contrast = (textEl, bgEl) => window.__ratio(getComputedStyle(textEl).color, getComputedStyle(bgEl).backgroundColor);
        }
        """;
}
