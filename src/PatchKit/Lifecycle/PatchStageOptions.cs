namespace PatchKit.Lifecycle;

/// <summary>The base of every stage's options: a name and the before/after hooks. Derive from it for a custom stage.</summary>
public abstract class PatchStageOptions
{
    /// <summary>Initializes a new instance of the <see cref="PatchStageOptions"/> class.</summary>
    /// <param name="defaultName">The stage's default name.</param>
    protected PatchStageOptions(string defaultName)
    {
        Name = defaultName;
    }

    /// <summary>Gets or sets the stage name used in logs and reports.</summary>
    /// <value>The default value is the stage's default name (<c>reach</c>, <c>resolve</c>, ...).</value>
    public string Name { get; set; }

    /// <summary>Gets or sets a hook called before the stage runs.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnStageStartingArguments, ValueTask>? OnStarting { get; set; }

    /// <summary>Gets or sets a hook called after the stage ran, also when it threw.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnStageCompletedArguments, ValueTask>? OnCompleted { get; set; }

    /// <summary>Adds every problem with the options to <paramref name="errors"/>. Called once, when the stage is added.</summary>
    /// <param name="errors">Where to add problems.</param>
    protected internal virtual void Validate(ICollection<string> errors)
    {
    }
}
