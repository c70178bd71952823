using System.Text;
using Microsoft.Extensions.Logging;

namespace PatchKit.Tests.Infrastructure;

/// <summary>A logger factory that keeps every log event: its id, name and level (STYLE T5: assert on EventId), and its
/// formatted text with the exception and structured values (to look for what must not leak), and one line per event
/// (<c>id message exception</c>).</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
{
    private readonly StringBuilder _text = new();

    private readonly List<string> _lines = [];

    public List<(int Id, string Name, LogLevel Level)> Events { get; } = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (Events)
            {
                return [.. _lines];
            }
        }
    }

    public string Text
    {
        get
        {
            lock (Events)
            {
                return _text.ToString();
            }
        }
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Events)
        {
            Events.Add((eventId.Id, eventId.Name ?? string.Empty, logLevel));
            string message = formatter(state, exception);
            _lines.Add(eventId.Id + " " + message + (exception is null ? string.Empty : " " + exception));
            _text.AppendLine(message).AppendLine(exception?.ToString());
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var kv in pairs)
                {
                    _text.Append(kv.Key).Append('=').AppendLine(kv.Value?.ToString());
                }
            }
        }
    }
}
