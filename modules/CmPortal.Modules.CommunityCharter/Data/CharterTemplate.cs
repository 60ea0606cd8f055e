namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>Where the editor starts when a workspace has no draft yet: a French charter in six sections, to adapt.</summary>
internal static class CharterTemplate
{
    public static CharterDocument French(string brand) => new(
        Title: "Charte de la communauté",
        Description: $"Les règles que nous partageons dans la communauté {brand} : ce qui est bienvenu, ce qui ne l’est pas, comment nous modérons et comment contester une décision.",
        Introduction: $"Cette charte s’applique partout où la communauté {brand} se retrouve : nos comptes sur les réseaux sociaux, les commentaires de notre blog et nos messageries. En participant, vous l’acceptez. Elle est courte exprès : lisez-la, elle ne prend que cinq minutes.",
        Sections:
        [
            new("valeurs", "Nos valeurs",
                "Ce qui nous rassemble, et ce que nous attendons les uns des autres.",
                [
                    new("respect", "Nous nous adressons les uns aux autres avec respect, même en cas de désaccord. On critique une idée ou un produit, jamais une personne."),
                    new("bienveillance", "Nous accueillons les débutants comme les connaisseurs : il n’y a pas de question bête."),
                    new("honnetete", "Nous partageons des informations exactes et nous citons nos sources quand nous en avons."),
                ]),
            new("bienvenu", "Ce qui est bienvenu", null,
                [
                    new("partage", "Vos photos, vos créations et vos retours d’expérience, y compris les critiques constructives."),
                    new("questions", "Les questions sur nos produits, nos méthodes et nos engagements : nous y répondons du lundi au vendredi."),
                    new("entraide", "Les conseils que vous donnez aux autres membres."),
                ]),
            new("interdit", "Ce qui n’est pas accepté",
                "Ces contenus sont retirés, quel que soit leur auteur.",
                [
                    new("haine", "Les propos haineux, racistes, sexistes, homophobes ou discriminatoires, et le harcèlement sous toutes ses formes."),
                    new("insultes", "Les insultes, les menaces et les attaques personnelles."),
                    new("spam", "La publicité non sollicitée, les liens de parrainage et les messages répétés."),
                    new("donnees-personnelles", "La publication d’informations personnelles (adresse, téléphone, courriel) sur vous-même ou sur d’autres."),
                    new("illegal", "Tout contenu illégal, ou qui porte atteinte aux droits d’autrui (droit d’auteur, droit à l’image)."),
                ]),
            new("moderation", "Comment nous modérons",
                "Notre équipe lit les messages chaque jour ouvré. Nous modérons a posteriori : un message est publié, puis retiré s’il enfreint la charte.",
                [
                    new("signalement", "Vous pouvez signaler un message qui vous semble enfreindre la charte ; nous l’examinons dans les 48 heures ouvrées."),
                    new("motif", "Quand nous retirons un message, nous indiquons la règle de la charte concernée, par son numéro."),
                    new("equite", "Les mêmes règles s’appliquent à tous, clients, partenaires et membres de l’équipe."),
                ]),
            new("sanctions", "Sanctions",
                "Les sanctions sont graduées selon la gravité et la répétition.",
                [
                    new("avertissement", "Un premier manquement entraîne le retrait du message et un avertissement."),
                    new("suspension", "En cas de récidive, la participation est suspendue pour 30 jours."),
                    new("exclusion", "Les manquements graves (haine, menaces, contenu illégal) entraînent une exclusion immédiate et, si nécessaire, un signalement aux autorités."),
                ]),
            new("recours", "Contester une décision, nous joindre", null,
                [
                    new("contestation", "Vous pouvez contester une décision de modération dans les 15 jours, en écrivant à l’équipe avec le lien du message concerné. Une autre personne de l’équipe réexamine la décision."),
                    new("contact", "Pour toute question sur cette charte, écrivez-nous en message privé ou par courriel."),
                ]),
        ]);
}
