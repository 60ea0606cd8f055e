using System.Text;
using CmPortal.Modules.ContentCalendar.Media;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Unit;

/// <summary>The media library knows an image by its header bytes, and its size in pixels, whatever the file is called.</summary>
public sealed class ImageHeaderTests
{
    [Fact]
    public void A_png_gives_its_size_from_its_IHDR() =>
        Assert.Equal(new ImageProbe(ImageKind.Png, 1080, 1350), ImageHeader.Read(TestImages.Png(1080, 1350)));

    [Theory]
    [InlineData(0xC0)] // baseline
    [InlineData(0xC2)] // progressive
    public void A_jpeg_gives_its_size_from_its_start_of_frame_after_other_segments(byte marker) =>
        Assert.Equal(new ImageProbe(ImageKind.Jpeg, 1600, 900), ImageHeader.Read(TestImages.JpegHeader(1600, 900, marker)));

    [Fact]
    public void A_gif_gives_its_logical_screen_size() =>
        Assert.Equal(new ImageProbe(ImageKind.Gif, 320, 240), ImageHeader.Read(TestImages.Gif(320, 240)));

    [Fact]
    public void The_three_kinds_of_webp_give_their_sizes()
    {
        Assert.Equal(new ImageProbe(ImageKind.WebP, 1280, 720), ImageHeader.Read(TestImages.WebPLossy(1280, 720)));
        Assert.Equal(new ImageProbe(ImageKind.WebP, 1000, 1500), ImageHeader.Read(TestImages.WebPLossless(1000, 1500)));
        Assert.Equal(new ImageProbe(ImageKind.WebP, 5000, 3000), ImageHeader.Read(TestImages.WebPExtended(5000, 3000)));
    }

    [Fact]
    public void An_svg_drawing_is_recognised_as_such_even_after_an_xml_declaration() =>
        Assert.Equal(ImageKind.Svg, ImageHeader.Read(Encoding.UTF8.GetBytes("\uFEFF<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")).Kind);

    [Theory]
    [InlineData("Bonjour, ceci est un fichier texte renommé en .png")]
    [InlineData("")]
    [InlineData("<html><body>not a drawing</body></html>")]
    public void Text_is_not_an_image(string text) =>
        Assert.Equal(new ImageProbe(ImageKind.NotAnImage, 0, 0), ImageHeader.Read(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_header_cut_short_or_with_a_zero_size_is_not_an_image()
    {
        Assert.Equal(ImageKind.NotAnImage, ImageHeader.Read(TestImages.Png(10, 10)[..20]).Kind);
        Assert.Equal(ImageKind.NotAnImage, ImageHeader.Read(TestImages.JpegHeader(10, 10)[..24]).Kind);
        Assert.Equal(ImageKind.NotAnImage, ImageHeader.Read(TestImages.Gif(0, 10)).Kind);
        Assert.Equal(ImageKind.NotAnImage, ImageHeader.Read(TestImages.WebPLossy(10, 10)[..25]).Kind);
        // A JPEG whose scan starts before any frame header says nothing of its size.
        Assert.Equal(ImageKind.NotAnImage, ImageHeader.Read([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xD9]).Kind);
    }
}
