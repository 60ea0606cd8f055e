using System.ComponentModel.DataAnnotations;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CmPortal.Core.Localization;

/// <summary>
/// The messages ASP.NET Core writes itself — a required field left empty, a value that does not bind, a password
/// Identity refuses — in the user's language. Each message sits next to its field, so it does not name the field
/// (no "The DisplayName field is required.").
/// </summary>
public static class FrameworkMessages
{
    public static IMvcBuilder AddPortalValidationMessages(this IMvcBuilder mvc)
    {
        mvc.AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(FrameworkMessages)));
        // After every other setup, so that the data-annotations provider has put the attributes in place first.
        mvc.Services.AddOptions<MvcOptions>().PostConfigure<IStringLocalizerFactory>((options, factory) =>
        {
            options.ModelMetadataDetailsProviders.Add(new ValidationMessages());
            options.ModelBinderProviders.Insert(0, new CheckboxBinderProvider());
            var T = factory.Create(typeof(FrameworkMessages));
            var messages = options.ModelBindingMessageProvider;
            // The value a person typed is an argument, never the template.
            messages.SetValueIsInvalidAccessor(value => T["\"{0}\" is not a valid value here.", value]);
            messages.SetAttemptedValueIsInvalidAccessor((value, _) => T["\"{0}\" is not a valid value here.", value]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => T["\"{0}\" is not a valid value here.", value]);
            messages.SetUnknownValueIsInvalidAccessor(_ => T["This value is not valid."]);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => T["This value is not valid."]);
            messages.SetValueMustNotBeNullAccessor(_ => T["Fill in this field."]);
            messages.SetMissingBindRequiredValueAccessor(_ => T["Fill in this field."]);
            messages.SetMissingKeyOrValueAccessor(() => T["Fill in this field."]);
            messages.SetMissingRequestBodyRequiredValueAccessor(() => T["The form arrived empty. Send it again."]);
            messages.SetValueMustBeANumberAccessor(_ => T["Give a number."]);
            messages.SetNonPropertyValueMustBeANumberAccessor(() => T["Give a number."]);
        });
        return mvc;
    }

    /// <summary>Gives the validation attributes that carry no message of their own an English template the localizer translates.</summary>
    private sealed class ValidationMessages : IValidationMetadataProvider
    {
        public void CreateValidationMetadata(ValidationMetadataProviderContext context)
        {
            foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            {
                // Some attributes (e-mail) report their built-in English text as ErrorMessage: only a resource-backed message is kept.
                if (attribute.ErrorMessageResourceName is not null) continue;
                attribute.ErrorMessage = attribute switch
                {
                    RequiredAttribute => "Fill in this field.",
                    EmailAddressAttribute => "This is not an e-mail address: write it as name@example.fr.",
                    StringLengthAttribute { MinimumLength: > 0 } => "Write between {2} and {1} characters.",
                    StringLengthAttribute => "Write {1} characters at most.",
                    MaxLengthAttribute => "Write {1} characters at most.",
                    CompareAttribute => "The two entries differ: type the same text twice.",
                    RangeAttribute => "Give a value between {1} and {2}.",
                    _ => attribute.ErrorMessage,
                };
            }
        }
    }
}

/// <summary>
/// Binds a box (<c>bool</c>) as MVC does, except that a value that is neither true nor false is refused without being kept
/// as the field's raw value: the checkbox tag helper converts that raw value back to a bool and throws (a 500 for a
/// tampered form) where a field message is due.
/// </summary>
internal sealed class CheckboxBinderProvider : IModelBinderProvider
{
    private static readonly CheckboxBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? Binder : null;

    private sealed class CheckboxBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var posted = context.ValueProvider.GetValue(context.ModelName);
            if (posted == ValueProviderResult.None) return Task.CompletedTask;
            var value = posted.FirstValue;
            if (bool.TryParse(value, out var box))
            {
                context.ModelState.SetModelValue(context.ModelName, posted);
                context.Result = ModelBindingResult.Success(box);
                return Task.CompletedTask;
            }
            context.ModelState.SetModelValue(context.ModelName, rawValue: null, attemptedValue: value);
            var messages = context.ModelMetadata.ModelBindingMessageProvider;
            if (string.IsNullOrEmpty(value))
            {
                if (context.ModelMetadata.IsReferenceOrNullableType) context.Result = ModelBindingResult.Success(null);
                else context.ModelState.TryAddModelError(context.ModelName, messages.ValueMustNotBeNullAccessor(value ?? ""));
            }
            else context.ModelState.TryAddModelError(context.ModelName, messages.AttemptedValueIsInvalidAccessor(value, context.ModelMetadata.GetDisplayName()));
            return Task.CompletedTask;
        }
    }
}

/// <summary>ASP.NET Core Identity's refusals (passwords above all) in the user's language.</summary>
internal sealed class PortalIdentityErrors(IStringLocalizer<PortalIdentityErrors> T) : IdentityErrorDescriber
{
    private IdentityError Error(string code, LocalizedString message) => new() { Code = code, Description = message.Value };

    public override IdentityError DefaultError() => Error(nameof(DefaultError), T["Something went wrong. Try again."]);
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), T["The current password is wrong."]);
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), T["This link or form has expired. Start again."]);
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), T["\"{0}\" is not an e-mail address.", email ?? ""]);
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), T["\"{0}\" is not an e-mail address.", userName ?? ""]);
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), T["An account already uses {0}.", email]);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), T["An account already uses {0}.", userName]);
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), T["The password needs at least {0} characters.", length]);
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), T["The password needs at least one digit (0-9)."]);
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), T["The password needs at least one lowercase letter (a-z)."]);
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), T["The password needs at least one capital letter (A-Z)."]);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), T["The password needs at least one character that is neither a letter nor a digit."]);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), T["The password needs at least {0} different characters.", uniqueChars]);
    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), T["Something went wrong. Try again."]);
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), T["Someone changed this account meanwhile. Try again."]);
}
