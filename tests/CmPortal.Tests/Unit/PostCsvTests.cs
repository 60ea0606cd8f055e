using System.Text;
using CmPortal.Core.Text;
using CmPortal.Modules.ContentCalendar.Csv;
using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Tests.Unit;

/// <summary>Reading and writing the CSV of posts the way spreadsheets write it: separators, quotes, encodings, lines.</summary>
public sealed class PostCsvTests
{
    private static byte[] Utf8(string text, bool bom = true) => [.. bom ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public void Quoted_fields_keep_separators_line_breaks_and_quotes_and_records_know_their_first_line()
    {
        var text = "a;b;c\r\n1;\"deux; et \"\"demi\"\"\";3\r\n\r\n4;\"cinq\nsix\nsept\";8\n9;;\n";
        var records = CsvText.Read(text, ';').ToList();
        Assert.Equal([1, 2, 4, 7], records.Select(r => r.Line));
        Assert.Equal(["1", "deux; et \"demi\"", "3"], records[1].Fields);
        Assert.Equal(["4", "cinq\nsix\nsept", "8"], records[2].Fields);
        Assert.Equal(["9", "", ""], records[3].Fields);

        // Written back, then read again: the same fields.
        var written = string.Concat(records.Select(r => CsvText.Line(r.Fields, ';')));
        Assert.Equal(records.Select(r => r.Fields), CsvText.Read(written, ';').Select(r => r.Fields));
    }

    [Fact]
    public void The_separator_is_read_from_the_header_line()
    {
        Assert.Equal(';', CsvText.DetectSeparator("date;time;networks;text\r\n01/03/2027;09:30;instagram,facebook;Bonjour, Lyon"));
        Assert.Equal(',', CsvText.DetectSeparator("date,time,networks,text\n01/03/2027,09:30,\"instagram|facebook\",\"Bonjour; Lyon\""));
    }

    [Fact]
    public void UTF8_with_or_without_BOM_is_read_as_is_and_a_Windows_1252_file_is_read_as_such_and_said()
    {
        Assert.Equal("date;text\nété", CsvText.Decode(Utf8("date;text\nété"), out var latin));
        Assert.False(latin);
        Assert.Equal("date;text\nété", CsvText.Decode(Utf8("date;text\nété", bom: false), out latin));
        Assert.False(latin);

        // "Crème brûlée à 5 €, l’œuvre" as a French Excel saves it (Windows-1252): é = E9, € = 80, ’ = 92, œ = 9C.
        byte[] windows = [.. Encoding.ASCII.GetBytes("text\nCr"), 0xE8, .. Encoding.ASCII.GetBytes("me br"), 0xFB, .. Encoding.ASCII.GetBytes("l"), 0xE9, .. Encoding.ASCII.GetBytes("e "),
            0xE0, .. Encoding.ASCII.GetBytes(" 5 "), 0x80, .. Encoding.ASCII.GetBytes(", l"), 0x92, 0x9C, .. Encoding.ASCII.GetBytes("uvre")];
        Assert.Equal("text\nCrème brûlée à 5 €, l’œuvre", CsvText.Decode(windows, out latin));
        Assert.True(latin);
    }

    [Fact]
    public void Lines_read_into_posts_with_the_date_and_time_of_the_workspace_and_the_problems_of_each_line_and_column()
    {
        var file = PostCsv.Read(Utf8(
            "date;time;networks;text;text_instagram;pillar;campaign;state\r\n" +
            "22/03/2027;09:30;instagram|facebook;\"Atelier ouvert;\nvenez !\";Atelier ouvert 🕯️;Art de vivre;;draft\r\n" +
            ";;instagram;Une idée pour plus tard;;;;idea\r\n" +
            "31/02/2027;9:30;instagram;Date impossible;;;;\r\n" +
            "01/04/2027;;instagram;Sans heure;;;;brouillon\r\n"));

        Assert.Empty(file.FileProblems);
        Assert.Equal([2, 4, 5, 6], file.Rows.Select(r => r.Line));
        var first = file.Rows[0];
        Assert.Equal(("2027-03-22T09:30", "Atelier ouvert;\nvenez !", "Art de vivre", PostState.Draft), (first.Input.StartsAt, first.Input.Text, first.Input.Pillar, first.State));
        Assert.Equal(["instagram", "facebook"], first.Input.Networks);
        Assert.Equal("Atelier ouvert 🕯️", first.Input.Variants["instagram"].Text);
        Assert.Empty(first.Problems);
        Assert.Equal((null, PostState.Idea), (file.Rows[1].Input.StartsAt, file.Rows[1].State));

        var date = Assert.Single(file.Rows[2].Problems);
        Assert.Equal((5, "date", "“{0}” is not a date: write it as 22/03/2027 (day/month/year)."), (date.Line, date.Column, date.Problem.Template));
        Assert.Equal([("time", 6), ("state", 6)], file.Rows[3].Problems.Select(p => (p.Column!, p.Line)));
    }

    [Fact]
    public void A_header_without_the_needed_columns_or_with_an_unknown_network_refuses_the_file_on_line_1()
    {
        var file = PostCsv.Read(Utf8("date;heure;networks;text;text_myspace\r\n22/03/2027;09:30;instagram;Bonjour\r\n"));
        Assert.Empty(file.Rows);
        Assert.Equal([(1, "heure"), (1, "text_myspace"), (1, "time")], file.FileProblems.Select(p => (p.Line, p.Column!)).OrderBy(p => p.Item2));
    }

    [Fact]
    public void A_quote_never_closed_refuses_the_file_at_the_line_where_it_opens()
    {
        var file = PostCsv.Read(Utf8("date;time;networks;text\r\n22/03/2027;09:30;instagram;Bonjour\r\n23/03/2027;09:30;instagram;\"Pas fermé\r\n24/03/2027;09:30;instagram;Suite\r\n"));
        var problem = Assert.Single(file.FileProblems);
        Assert.Equal((3, "A field between double quotes starts on this line and is never closed: its closing double quote is missing."), (problem.Line, problem.Problem.Template));
        Assert.Empty(file.Rows);
    }

    [Fact]
    public void The_export_writes_a_BOM_semicolons_French_dates_and_a_text_column_per_network_with_its_own_text()
    {
        var post = new Post
        {
            Text = "Bonjour; Lyon", StartsLocal = "2027-03-22T09:30", State = PostState.InReview, Pillar = "Art de vivre",
            Variants = [new PostVariant { Network = "instagram", Position = 0, Text = "Bonjour \"Lyon\"" }, new PostVariant { Network = "facebook", Position = 1 }],
        };
        var bytes = PostCsv.Export([post], new Dictionary<Guid, string>());
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(
            "date;time;networks;text;text_instagram;pillar;campaign;state;recurrence\r\n" +
            "22/03/2027;09:30;instagram,facebook;\"Bonjour; Lyon\";\"Bonjour \"\"Lyon\"\"\";Art de vivre;;in-review;\r\n",
            Encoding.UTF8.GetString(bytes[3..]));
    }
}
