using System.Diagnostics;
using System.Text;

namespace CmPortal.Tests.Infrastructure;

/// <summary>Reads iCalendar text with Debian's python3-icalendar (an independent reader), through a script of the caller's.</summary>
public static class PythonICalendar
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="ics"/> on its standard input; returns what it printed.</summary>
    public static string Run(string script, string ics)
    {
        // /usr/bin/python3: Debian's interpreter, where python3-icalendar lives (not a python3 earlier on PATH).
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var stdin = python.StandardInput.BaseStream;
        stdin.Write(Encoding.UTF8.GetBytes(ics));
        stdin.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        // A cold interpreter importing icalendar while the suite's first portals start on 2 cores once took over 20 s:
        // the reader's answer is what is checked here, not its speed.
        if (!python.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            python.Kill();
            Assert.Fail("python3 icalendar did not answer within 90 s");
        }
        Assert.True(python.ExitCode == 0, $"python3 icalendar could not read the feed: {errors.Result}");
        return output.Result;
    }
}
