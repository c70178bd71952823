namespace PatchKit.Tests.Hardening;

/// <summary>One line edit of an <see cref="Gens.Edits"/> script: delete, insert or append a character at a position
/// taken modulo the line count when it is applied, so every script applies to every text and shrinks freely.</summary>
public sealed record LineEdit(int Kind, int At, char Char, bool CarriageReturn)
{
    public override string ToString() => Kind switch
    {
        0 => $"delete {At}",
        1 => $"insert {At} '{Char}'{(CarriageReturn ? "+CR" : string.Empty)}",
        _ => $"append {At} '{Char}'",
    };
}
